from . import customer_referral_register
from . import customer_referral_reject

from . import customer_tier_assign
from . import customer_referral_register
from . import customer_referral_reject
from . import customer_support_step_skip
from . import crm_lead_lost

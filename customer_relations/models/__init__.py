from . import customer_tier
from . import res_config_settings
from . import res_partner
from . import sale_order
from . import customer_referral_clause
from . import customer_referral
from . import loyalty_card
from . import crm_lead

from . import customer_tier
from . import customer_tier_history
from . import res_config_settings
from . import res_partner
from . import sale_order

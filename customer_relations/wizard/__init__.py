from . import customer_tier_assign
from . import customer_support_step_skip

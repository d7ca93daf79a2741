from . import customer_tier_assign

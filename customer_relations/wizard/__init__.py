from . import customer_tier_assign
from . import customer_referral_register
from . import customer_referral_reject
from . import customer_support_step_skip
from . import crm_lead_lost
from . import customer_segment_assign
from . import mail_compose_message
from . import customer_monthly_report_send_back

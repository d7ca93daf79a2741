from . import test_access_rights
from . import test_multi_company
from . import test_res_partner
from . import test_ui
from . import test_customer_referral
from . import test_customer_referral_tour

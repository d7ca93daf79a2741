from . import test_access_rights
from . import test_multi_company
from . import test_res_partner
from . import test_ui
from . import test_customer_tier
from . import test_customer_objection
from . import test_customer_objection_access
from . import test_customer_objection_tour

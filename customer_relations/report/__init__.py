from . import sale_report
from . import customer_competitor_report

from . import sale_report
from . import customer_competitor_report
from . import customer_range_white_space

from libs.common.service import run
from services.orders.app import SERVICE

run(SERVICE)

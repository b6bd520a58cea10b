from libs.common.service import run
from services.inventory.app import SERVICE

run(SERVICE)

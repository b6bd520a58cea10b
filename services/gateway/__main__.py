from libs.common.service import run
from services.gateway.app import SERVICE

run(SERVICE)

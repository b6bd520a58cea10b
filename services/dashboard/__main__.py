from libs.common.service import run
from services.dashboard.app import SERVICE

run(SERVICE)

from libs.common.service import run
from services.webhooks.app import SERVICE

run(SERVICE)

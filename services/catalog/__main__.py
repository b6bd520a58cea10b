from libs.common.service import run
from services.catalog.app import SERVICE

run(SERVICE)

"""`stacknex openapi`: the OpenAPI 3.1 document of the public API, built from the route table
(libs/contract), so that it cannot drift from what the code accepts and answers.

    stacknex openapi > services/gateway/openapi.json   (a test checks it is up to date)
"""

from libs.contract.document import build

__all__ = ["build"]

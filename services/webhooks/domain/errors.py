"""What the webhooks service refuses."""


class EndpointNotFound(Exception):
    pass


class StaleVersion(Exception):
    def __init__(self, current: int) -> None:
        super().__init__(f"The endpoint is at version {current}; fetch it and retry.")
        self.current = current

"""The webhooks service: consumes the whole event stream, evaluates thresholds, and
delivers signed events to each organization's endpoints."""

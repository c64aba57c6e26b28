"""For integrators: API keys with scopes and per-key limits, and outbound webhooks (Standard Webhooks)."""

"""Conversation quality inspection (质检): import, SLA metrics, findings, reports, alerts."""

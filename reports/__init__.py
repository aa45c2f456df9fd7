"""The built-in dashboard (one offline HTML file) and the per-person evidence packets, from the marts."""

from reports.build import build_dashboard
from reports.packets import build_packets
from reports.settings import DashboardSettings, dashboard_settings

__all__ = ["build_dashboard", "build_packets", "DashboardSettings", "dashboard_settings"]

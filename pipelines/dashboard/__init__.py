"""The built-in dashboard (one offline HTML file) and the per-person evidence packets, from the marts."""
from pipelines.dashboard.build import build_dashboard
from pipelines.dashboard.packets import build_packets
from pipelines.dashboard.settings import DashboardSettings, dashboard_settings

__all__ = ["build_dashboard", "build_packets", "DashboardSettings", "dashboard_settings"]

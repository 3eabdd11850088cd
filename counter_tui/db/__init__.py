"""counter_tui.db"""

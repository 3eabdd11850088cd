"""counter_tui.widgets"""

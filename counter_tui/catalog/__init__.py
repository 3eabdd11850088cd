"""counter_tui.catalog"""

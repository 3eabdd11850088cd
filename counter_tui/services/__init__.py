"""counter_tui.services"""

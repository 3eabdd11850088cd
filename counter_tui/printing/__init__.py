"""counter_tui.printing"""

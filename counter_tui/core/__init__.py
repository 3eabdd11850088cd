"""counter_tui.core"""

"""counter_tui.screens"""

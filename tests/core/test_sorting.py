from counter_tui.core.sorting import natural_key


def test_numbers_in_names_sort_as_people_count():
    names = ["ช่อง 10", "ช่อง 2", "ช่องพิเศษ", "ช่อง 1", "A10", "A2", "ช่อง 1A", "3"]
    assert sorted(names, key=natural_key) == [
        "3",
        "A2",
        "A10",
        "ช่อง 1",
        "ช่อง 1A",
        "ช่อง 2",
        "ช่อง 10",
        "ช่องพิเศษ",
    ]

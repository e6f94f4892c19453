from django.apps import AppConfig


class DevdataConfig(AppConfig):
    """Demo data, stress data and the benchmark: development tools.

    Installed only for its management commands (seed_demo, load_demo_data);
    no product module imports it (tests/test_import_graph.py checks that).
    """

    name = "devdata"
    verbose_name = "Development data"

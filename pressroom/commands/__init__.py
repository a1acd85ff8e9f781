"""One module per command of ``build.py``; each has ``add_arguments(parser)``
and ``run(args, config) -> int``. ``cli.py`` lists them in ``COMMANDS``."""

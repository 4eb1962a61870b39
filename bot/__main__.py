"""`python -m bot ...`: the same command line as the `chitieu` script (for installs without the script)."""

from bot.cli import main

if __name__ == "__main__":
    main()

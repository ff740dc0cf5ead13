"""`python -m hardener` runs the same CLI as the `hardener` console script."""

from hardener.cli.app import main

if __name__ == "__main__":
    main()

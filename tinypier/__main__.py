from tinypier.cli import main

main()

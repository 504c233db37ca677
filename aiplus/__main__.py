from aiplus.cli import main

main()

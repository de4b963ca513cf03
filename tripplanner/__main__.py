from tripplanner.cli.app import main

main()

from tplsync.cli import main

main()

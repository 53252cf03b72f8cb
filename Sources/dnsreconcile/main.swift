import DNSReconcileCLI

DNSReconcileCommand.main()

module clickgen.invalid/loadgen

go 1.21

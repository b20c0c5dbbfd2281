import DSL
print("kernel \(DSLInfo.version)")

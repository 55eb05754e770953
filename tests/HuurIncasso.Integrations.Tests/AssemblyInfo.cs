using HuurIncasso.Testing;

// One emulator for the whole assembly; each output test isolates itself with a unique prefix.
[assembly: AssemblyFixture(typeof(AzuriteFixture))]

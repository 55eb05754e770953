using HuurIncasso.Testing;

[assembly: AssemblyFixture(typeof(AzuriteFixture))]

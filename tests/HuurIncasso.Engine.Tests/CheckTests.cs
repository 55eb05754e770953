namespace HuurIncasso.Engine.Tests;

public sealed class CheckTests
{
    [Fact]
    public void NotNull_Null_NamesTheArgument()
    {
        string? name = null;
        var ex = Assert.Throws<ArgumentNullException>(() => Check.NotNull(name));
        Assert.Equal("name", ex.ParamName);
    }

    [Theory]
    [InlineData("")] // empty
    [InlineData("   ")] // white space only
    public void NotEmpty_Blank_NamesTheArgument(string key)
    {
        var ex = Assert.Throws<ArgumentException>(() => Check.NotEmpty(key));
        Assert.Equal("key", ex.ParamName);
    }

    [Theory]
    [InlineData("case/1")] // '/' is not allowed in a partition key
    [InlineData("case\\1")] // nor '\'
    [InlineData("case#1")] // nor '#'
    [InlineData("case?1")] // nor '?'
    [InlineData("case\u00011")] // nor control characters
    public void CaseId_ForbiddenCharacter_Throws(string caseId)
    {
        var ex = Assert.Throws<ArgumentException>(() => Check.CaseId(caseId));
        Assert.Equal("caseId", ex.ParamName);
    }

    [Fact]
    public void CaseId_LongerThan200_Throws()
    {
        Assert.Throws<ArgumentException>(() => Check.CaseId(new string('a', 201)));
        Assert.Equal(200, Check.CaseId(new string('a', 200)).Length);
    }

    [Fact]
    public void Positive_ZeroOrLess_Throws()
    {
        var zero = 0;
        Assert.Equal("zero", Assert.Throws<ArgumentOutOfRangeException>(() => Check.Positive(zero)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Check.Positive(TimeSpan.Zero));
        Assert.Equal(3, Check.Positive(3));
    }
}

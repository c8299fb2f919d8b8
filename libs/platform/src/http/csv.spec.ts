import { CsvCell, csvCell, csvDocument } from './csv';

describe('csvCell', () => {
  it.each<[string, CsvCell, string]>([
    ['plain text as it is', 'lotus-tea', 'lotus-tea'],
    ['an empty string empty', '', ''],
    ['null empty', null, ''],
    ['undefined empty', undefined, ''],
    ['a DDE payload neutralised', "=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['a leading plus neutralised', '+1', "'+1"],
    ['a leading at neutralised', '@SUM(1)', "'@SUM(1)"],
    ['a minus in text neutralised', '-2', "'-2"],
    ['a leading tab neutralised', '\t=1+1', "'\t=1+1"],
    ['a leading carriage return neutralised and quoted', '\r=1+1', "\"'\r=1+1\""],
    ['a formula with quotes and a comma neutralised, then quoted', '=HYPERLINK("https://x.example","y"),m', "\"'=HYPERLINK(\"\"https://x.example\"\",\"\"y\"\"),m\""],
    ['an equals sign inside the text as it is', 'a=b', 'a=b'],
    ['a comma quoted', 'odd, name', '"odd, name"'],
    ['quotes doubled and quoted', 'say "hi"', '"say ""hi"""'],
    ['a line feed quoted', 'two\nlines', '"two\nlines"'],
    ['a CRLF quoted', 'two\r\nlines', '"two\r\nlines"'],
    ['a negative number as a number', -2, '-2'],
    ['a negative fraction as a number', -5.5, '-5.5'],
    ['a rate as a number', 0.015, '0.015'],
    ['zero as a number', 0, '0'],
    ['a boolean as a word', true, 'true'],
    ['zh-CN text as it is', '上海茶馆', '上海茶馆'],
  ])('writes %s', (_, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

describe('csvDocument', () => {
  it('writes a header row and one line per row in column order, CRLF after every line', () => {
    const rows = [
      { merchantId: '=1+2', payments: 10, disputes: 5, rate: 0.5, note: 'ignored' },
      { merchantId: 'odd, "name"', payments: 0, disputes: -1, rate: null, note: 'ignored' },
    ];
    expect(csvDocument(['merchantId', 'payments', 'disputes', 'rate'], rows)).toBe(
      'merchantId,payments,disputes,rate\r\n'
      + "'=1+2,10,5,0.5\r\n"
      + '"odd, ""name""",0,-1,\r\n',
    );
  });

  it('writes only the header when there are no rows', () => {
    expect(csvDocument(['a', 'b'], [])).toBe('a,b\r\n');
  });
});

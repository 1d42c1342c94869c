import {describe, expect, it} from 'vitest'

import {detectDelimiter, normalizeHeader, readCsvTable} from '../../src/employees/csv-table.js'
import {UsageError} from '../../src/errors.js'

const shape = {name: 'staff.csv', required: ['code', 'name'], optional: ['email', 'joined_on']}

describe('readCsvTable', () => {
  it('tolerates a BOM, header case and spaces, CRLF and blank lines', () => {
    const table = readCsvTable('\uFEFF Code ,NAME, E-mail ,Joined On\r\nEMP001, Asha ,a@x.io,2021-01-04\r\n\r\nEMP002,Brian,,\r\n', {
      ...shape,
      aliases: {e_mail: 'email'},
    })
    expect(table.columns).toEqual(['code', 'name', 'email', 'joined_on'])
    expect(table.rows).toEqual([
      {line: 2, cells: {code: 'EMP001', name: 'Asha', email: 'a@x.io', joined_on: '2021-01-04'}, raw: 'EMP001, Asha ,a@x.io,2021-01-04'},
      {line: 4, cells: {code: 'EMP002', name: 'Brian', email: '', joined_on: ''}, raw: 'EMP002,Brian,,'},
    ])
    expect(table.malformed).toEqual([])
  })

  it('detects ";" and tab delimiters from the header', () => {
    expect(detectDelimiter('code;name;email')).toBe(';')
    expect(detectDelimiter('code\tname')).toBe('\t')
    expect(detectDelimiter('code')).toBe(',')
    const table = readCsvTable('code;name\nEMP001;"Kamau, Asha"\n', shape)
    expect(table.delimiter).toBe(';')
    expect(table.rows[0].cells.name).toBe('Kamau, Asha')
  })

  it('keeps quoted multi-line values and numbers lines by where the record starts', () => {
    const table = readCsvTable('code,name\nEMP001,"Asha\nKamau"\nEMP002,Brian\n', shape)
    expect(table.rows.map((r) => [r.line, r.cells.name])).toEqual([
      [2, 'Asha\nKamau'],
      [4, 'Brian'],
    ])
  })

  it('rejects a broken row on its own and reads the rows after it', () => {
    const text = ['code,name', 'EMP001,"Asha "A" Kamau', 'EMP002,Brian,extra', 'EMP003,"Grace', 'EMP004,Peter', 'EMP005'].join('\n')
    const table = readCsvTable(text, shape)
    expect(table.rows.map((r) => r.cells.code)).toEqual(['EMP004'])
    expect(table.malformed).toEqual([
      {line: 2, reason: 'a quoted field is followed by other characters before the next delimiter (check the quotes)', raw: 'EMP001,"Asha "A" Kamau'},
      {line: 3, reason: 'has 3 fields but the header has 2 (an unquoted "," inside a value?)', raw: 'EMP002,Brian,extra'},
      {line: 4, reason: 'a quote is opened but never closed', raw: 'EMP003,"Grace'},
      {line: 6, reason: 'has 1 fields but the header has 2', raw: 'EMP005'},
    ])
  })

  it('reports unknown columns as ignored', () => {
    expect(readCsvTable('code,name,shoe_size\n1,A,42\n', shape).ignoredColumns).toEqual(['shoe_size'])
  })

  it('throws one sentence when the header is missing or lacks a required column', () => {
    expect(() => readCsvTable('', shape)).toThrow(UsageError)
    expect(() => readCsvTable('\n\n', shape)).toThrow('staff.csv is empty: expected a header row such as code,name,email,joined_on.')
    expect(() => readCsvTable('EMP001,Asha Kamau,asha@x.io\n', shape)).toThrow(
      'staff.csv has no code, name columns in its header row (line 1 reads "EMP001,Asha Kamau,asha@x.io"): expected a header such as code,name,email,joined_on.',
    )
    expect(() => readCsvTable('code,full name\n', shape)).toThrow('staff.csv has no name column in its header row')
    expect(() => readCsvTable('code,name,Name\n', shape)).toThrow('staff.csv names the column name twice in its header row.')
  })

  it('normalizes header spellings', () => {
    expect(normalizeHeader('\uFEFF Joined-On ')).toBe('joined_on')
    expect(normalizeHeader('LEFT  ON')).toBe('left_on')
  })
})

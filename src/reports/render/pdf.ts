import {fileURLToPath} from 'node:url'

import type {ReportHeading, ReportSection, Sheet, SheetColumn, SheetRow, Tone} from '../types.js'
import {clip, fitLine} from './fit.js'

/** DejaVu Sans Condensed ships in assets/fonts: the 14 built-in PDF fonts cannot print "Ł". */
const fontsDir = fileURLToPath(new URL('../../../assets/fonts/', import.meta.url))
export const fontFiles = {
  body: `${fontsDir}DejaVuSansCondensed.ttf`,
  bold: `${fontsDir}DejaVuSansCondensed-Bold.ttf`,
}

export interface PdfMeta {
  title: string
  subject: string
  /** Fixes the document's dates and file id, so the same data gives the same bytes. */
  generatedAt: number
}

const MARGIN = {top: 28, bottom: 36, left: 28, right: 28}
const PAD = 2.5
const toneColors: Record<Tone, string> = {good: '#1e7b34', bad: '#b3261e', warn: '#9a5b00', info: '#1f5f99', muted: '#8a8a8a'}
const INK = '#111111'
const RULE = '#bdbdbd'
/** No glyph of DejaVu Sans Condensed is narrower than this (in em; ' ' and 'i' are 0.25). */
const MIN_GLYPH_EM = 0.24
/** A wrapped cell (the daily report's punches) shows at most this many lines. */
const MAX_CELL_LINES = 12
/** A note under the heading shows at most this many lines. */
const MAX_NOTE_LINES = 6
/** Document metadata is for a file browser, not for a 10 000-character department. */
const MAX_META_CHARS = 300

type Doc = PDFKit.PDFDocument

/**
 * Draws report sections as paginated tables. pdfkit's own doc.table does not repeat the header row
 * on a new page, so rows are laid out here: every page gets the report heading and the column
 * header, a department carried over gets a "(continued)" row, and "Page x of y" is written once all
 * pages exist (bufferPages).
 */
export async function renderPdf(sections: readonly ReportSection[], meta: PdfMeta): Promise<Buffer> {
  const {default: PDFDocument} = await import('pdfkit')
  const date = new Date(meta.generatedAt)
  const doc = new PDFDocument({
    size: 'A4',
    autoFirstPage: false,
    bufferPages: true,
    margins: MARGIN,
    info: {Title: clip(meta.title, MAX_META_CHARS), Subject: clip(meta.subject, MAX_META_CHARS), Creator: 'attend', Producer: 'attend', CreationDate: date, ModDate: date},
  })
  doc.registerFont('body', fontFiles.body)
  doc.registerFont('bold', fontFiles.bold)

  const chunks: Buffer[] = []
  doc.on('data', (chunk: Buffer) => chunks.push(chunk))
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })

  for (const section of sections) new SectionWriter(doc, section).write()
  writeFooters(doc, sections)
  doc.end()
  return finished
}

function writeFooters(doc: Doc, sections: readonly ReportSection[]): void {
  const range = doc.bufferedPageRange()
  const heading = sections[0]?.heading
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i)
    // Writing below the bottom margin would make pdfkit start a new page.
    const bottom = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    const y = doc.page.height - 22
    const width = doc.page.width - MARGIN.left - MARGIN.right
    doc.font('body').fontSize(7).fillColor(toneColors.muted)
    const label = `Page ${i - range.start + 1} of ${range.count}`
    const labelWidth = doc.widthOfString(label)
    if (heading) {
      const line = `${heading.title} · ${heading.subtitle} · generated ${heading.generated}`
      doc.text(fitted(doc, line, width - labelWidth - 12, 7), MARGIN.left, y, {lineBreak: false})
    }
    doc.text(label, MARGIN.left + width - labelWidth, y, {lineBreak: false})
    doc.page.margins.bottom = bottom
  }
}

/** One line cut to `room` in the document's current font, whose size is `size`. */
function fitted(doc: Doc, text: string, room: number, size: number): string {
  return fitLine(text, room, (part) => doc.widthOfString(part), size * MIN_GLYPH_EM)
}

/**
 * Wrapped text bounded to `lines` lines of `width`: clipped to as many characters as could ever
 * show there before pdfkit wraps it (its wrapper is quadratic in an unbreakable word's length).
 */
function wrapped(doc: Doc, text: string, width: number, lines: number, size: number): {text: string; options: PDFKit.Mixins.TextOptions} {
  const perLine = Math.ceil(width / (size * MIN_GLYPH_EM)) + 1
  return {text: clip(text, perLine * lines), options: {width, height: doc.currentLineHeight(true) * lines, ellipsis: true}}
}

class SectionWriter {
  private readonly doc: Doc
  private readonly heading: ReportHeading
  private readonly sheet: Sheet
  private readonly fontSize: number
  private readonly rowHeight: number
  private widths: number[] = []
  private y = 0
  private readonly widthCache = new Map<string, number>()
  /** pdfkit re-emits the color operator on every call; a register sets it 40 000 times. */
  private color = ''

  constructor(doc: Doc, section: ReportSection) {
    this.doc = doc
    this.heading = section.heading
    this.sheet = section.sheet
    // The register's 31 day columns need a smaller type than the other reports.
    this.fontSize = this.sheet.columns.length > 20 ? 6.5 : 8
    this.rowHeight = this.fontSize + 2 * PAD + 1
  }

  write(): void {
    this.newPage()
    const rows = this.sheet.groups.reduce((n, g) => n + g.rows.length, 0)
    if (rows === 0) {
      this.doc.font('body').fontSize(9).fillColor(INK).text(this.sheet.empty, MARGIN.left, this.y + 6)
      return
    }
    for (const group of this.sheet.groups) {
      if (group.name !== null) {
        // Keep a department heading with at least its first row.
        this.ensureSpace(this.rowHeight * 2)
        this.groupRow(group.name)
      }
      for (const row of group.rows) {
        const height = this.heightOf(row)
        if (this.ensureSpace(height) && group.name !== null) this.groupRow(group.name, ' (continued)')
        this.dataRow(row, height, 'row')
      }
      if (group.subtotal) {
        this.ensureSpace(this.rowHeight)
        this.dataRow(group.subtotal, this.rowHeight, 'subtotal')
      }
    }
    if (this.sheet.totals) {
      this.ensureSpace(this.rowHeight + 2)
      this.dataRow(this.sheet.totals, this.heightOf(this.sheet.totals), 'total')
    }
  }

  private get contentWidth(): number {
    return this.doc.page.width - MARGIN.left - MARGIN.right
  }

  private get bottomLimit(): number {
    return this.doc.page.height - MARGIN.bottom
  }

  /** Starts a new page when `height` does not fit; true when it did. */
  private ensureSpace(height: number): boolean {
    if (this.y + height <= this.bottomLimit) return false
    this.newPage()
    return true
  }

  private newPage(): void {
    const doc = this.doc
    doc.addPage({size: 'A4', layout: this.sheet.orientation, margins: MARGIN})
    if (this.widths.length === 0) this.widths = this.layout()
    this.y = MARGIN.top
    this.pageHeading()
    this.headerRow()
  }

  /**
   * Column widths on the page: the nominal widths scaled to it, then every right-aligned (number)
   * column widened to its widest value, totals included, in bold as totals print. A number cut to
   * "13…" says nothing, so the room comes from the text columns (names, which show cut with an
   * ellipsis), each keeping at least half its width.
   */
  private layout(): number[] {
    const columns = this.sheet.columns
    const scale = this.contentWidth / columns.reduce((sum, c) => sum + c.width, 0)
    const widths = columns.map((c) => c.width * scale)
    this.doc.font('bold').fontSize(this.fontSize)
    let needed = 0
    columns.forEach((column, i) => {
      if (column.align !== 'right') return
      const want = this.widestCell(i) + 2 * PAD + 0.5
      if (want > widths[i]) {
        needed += want - widths[i]
        widths[i] = want
      }
    })
    const donors = columns.map((c, i) => (c.align === undefined || c.align === 'left' ? i : -1)).filter((i) => i >= 0)
    const spare = donors.reduce((sum, i) => sum + widths[i] / 2, 0)
    if (needed > 0 && spare > 0) {
      const share = Math.min(1, needed / spare)
      for (const i of donors) widths[i] -= (widths[i] / 2) * share
    }
    return widths
  }

  /** The widest text column `i` prints, its label included, measured in bold (labels and totals are bold). */
  private widestCell(i: number): number {
    let widest = Math.max(...this.sheet.columns[i].label.split('\n').map((line) => this.measure(line, 'bold')))
    const consider = (row: SheetRow | undefined) => {
      const text = row?.cells[i]
      if (text) widest = Math.max(widest, this.measure(text, 'bold'))
    }
    for (const group of this.sheet.groups) {
      for (const row of group.rows) consider(row)
      consider(group.subtotal)
    }
    consider(this.sheet.totals)
    return widest
  }

  private pageHeading(): void {
    const doc = this.doc
    const x = MARGIN.left
    const width = this.contentWidth
    doc.font('bold').fontSize(13).fillColor(INK)
    doc.text(fitted(doc, this.heading.title, width, 13), x, this.y, {width, lineBreak: false})
    this.y += 17
    doc.font('bold').fontSize(10)
    doc.text(fitted(doc, `${this.heading.subtitle}: ${this.heading.period}`, width, 10), x, this.y, {width, lineBreak: false})
    this.y += 13
    doc.font('body').fontSize(8).fillColor('#333333')
    const generated = `    Generated: ${this.heading.generated}`
    const filters = fitted(doc, `Filters: ${this.heading.filters}`, width - doc.widthOfString(generated), 8)
    doc.text(filters + generated, x, this.y, {width, lineBreak: false})
    this.y += 11
    doc.fontSize(7).fillColor('#555555')
    for (const note of this.sheet.notes) {
      const bounded = wrapped(doc, note, width, MAX_NOTE_LINES, 7)
      doc.text(bounded.text, x, this.y, bounded.options)
      this.y = doc.y + 1
    }
    this.y += 4
  }

  private headerRow(): void {
    const doc = this.doc
    const lines = Math.max(...this.sheet.columns.map((c) => c.label.split('\n').length))
    const height = lines * (this.fontSize + 1.5) + 2 * PAD
    doc.rect(MARGIN.left, this.y, this.contentWidth, height).fill('#e4e4e4')
    doc.font('bold').fontSize(this.fontSize).fillColor(INK)
    let x = MARGIN.left
    this.sheet.columns.forEach((column, i) => {
      column.label.split('\n').forEach((line, l) => {
        this.cellText(line, x, this.y + PAD + l * (this.fontSize + 1.5), this.widths[i], column.align ?? 'left', 'bold')
      })
      x += this.widths[i]
    })
    this.y += height
    doc.moveTo(MARGIN.left, this.y).lineTo(MARGIN.left + this.contentWidth, this.y).lineWidth(0.6).stroke('#777777')
  }

  /** A department row; a long name is cut before `suffix`, so "(continued)" always shows. */
  private groupRow(name: string, suffix = ''): void {
    const doc = this.doc
    doc.rect(MARGIN.left, this.y, this.contentWidth, this.rowHeight).fill('#f3f3f3')
    doc.font('bold').fontSize(this.fontSize).fillColor(INK)
    const room = this.contentWidth - 2 * PAD - (suffix ? this.measure(suffix, 'bold') : 0)
    const shown = fitLine(name, room, (part) => this.measure(part, 'bold'), this.fontSize * MIN_GLYPH_EM) + suffix
    this.cellText(shown, MARGIN.left, this.y + PAD, this.contentWidth, 'left', 'bold')
    this.y += this.rowHeight
  }

  private heightOf(row: SheetRow): number {
    let height = this.rowHeight
    this.sheet.columns.forEach((column, i) => {
      if (!column.wrap || !row.cells[i]) return
      this.doc.font('body').fontSize(this.fontSize)
      const bounded = wrapped(this.doc, row.cells[i], this.widths[i] - 2 * PAD, MAX_CELL_LINES, this.fontSize)
      // heightOfString ignores the height limit that the drawing honours.
      const textHeight = Math.min(this.doc.heightOfString(bounded.text, bounded.options), bounded.options.height ?? Infinity)
      height = Math.max(height, textHeight + 2 * PAD + 1)
    })
    return height
  }

  private dataRow(row: SheetRow, height: number, kind: 'row' | 'subtotal' | 'total'): void {
    const doc = this.doc
    const font = kind === 'row' ? 'body' : 'bold'
    this.color = ''
    if (kind === 'total') doc.rect(MARGIN.left, this.y, this.contentWidth, height).fill('#e4e4e4')
    let x = MARGIN.left
    this.sheet.columns.forEach((column: SheetColumn, i) => {
      if (column.shade && kind === 'row') doc.rect(x, this.y, this.widths[i], height).fill('#eeeeee')
      x += this.widths[i]
    })
    doc.font(font).fontSize(this.fontSize)
    this.color = ''
    x = MARGIN.left
    this.sheet.columns.forEach((column, i) => {
      const text = row.cells[i] ?? ''
      const tone = row.tones?.[i]
      this.setColor(tone ? toneColors[tone] : INK)
      if (column.wrap && text) {
        const bounded = wrapped(doc, text, this.widths[i] - 2 * PAD, MAX_CELL_LINES, this.fontSize)
        doc.text(bounded.text, x + PAD, this.y + PAD, {...bounded.options, align: column.align ?? 'left'})
      } else if (text) {
        this.cellText(text, x, this.y + PAD, this.widths[i], column.align ?? 'left', font)
      }
      x += this.widths[i]
    })
    this.y += height
    const weight = kind === 'row' ? 0.25 : 0.6
    doc.moveTo(MARGIN.left, this.y).lineTo(MARGIN.left + this.contentWidth, this.y).lineWidth(weight).stroke(kind === 'row' ? RULE : '#777777')
  }

  private setColor(color: string): void {
    if (color === this.color) return
    this.doc.fillColor(color)
    this.color = color
  }

  /** One line of text in a cell, cut with an ellipsis when it does not fit. */
  private cellText(text: string, x: number, y: number, width: number, align: 'left' | 'right' | 'center', font: string): void {
    const room = width - 2 * PAD
    const shown = fitLine(text, room, (part) => this.measure(part, font), this.fontSize * MIN_GLYPH_EM)
    const textWidth = this.measure(shown, font)
    const offset = align === 'right' ? room - textWidth : align === 'center' ? (room - textWidth) / 2 : 0
    this.doc.text(shown, x + PAD + offset, y, {lineBreak: false})
  }

  private measure(text: string, font: string): number {
    // Cells repeat (a register's codes, names on every page); long one-off texts are not worth keeping.
    if (text.length > 200) return this.doc.widthOfString(text)
    const key = `${font}\u0000${this.fontSize}\u0000${text}`
    let width = this.widthCache.get(key)
    if (width === undefined) {
      width = this.doc.widthOfString(text)
      if (this.widthCache.size < 50_000) this.widthCache.set(key, width)
    }
    return width
  }
}

/// Small inline SVG bar charts for printed reports: no scripts, no external files.
///
/// Labels and values are escaped; bars scale to the largest value (a chart of zeros draws no bars).
/// Sizes are in SVG user units with a `viewBox`, so the chart scales to the page width.
struct SVGChart: Sendable {
    /// One bar: its label and its value, and the value as it should be written.
    struct Bar: Sendable {
        var label: String
        var value: Double
        var text: String
    }

    var title: String
    var bars: [Bar]

    /// Vertical bars (e.g. hours by month).
    func columns(width: Double = 640, height: Double = 220) -> String {
        let top = 22.0, bottom = 28.0, left = 10.0
        let plot = height - top - bottom
        let largest = bars.map(\.value).max() ?? 0
        let slot = bars.isEmpty ? 0 : (width - 2 * left) / Double(bars.count)
        var svg = header(width: width, height: height)
        svg += line(x1: left, y1: top + plot, x2: width - left, y2: top + plot)
        for (index, bar) in bars.enumerated() {
            let x = left + Double(index) * slot
            let barHeight = largest > 0 ? plot * bar.value / largest : 0
            let barWidth = min(slot * 0.6, 48)
            let barX = x + (slot - barWidth) / 2
            if barHeight > 0 {
                svg += "<rect x=\"\(f(barX))\" y=\"\(f(top + plot - barHeight))\" width=\"\(f(barWidth))\" height=\"\(f(barHeight))\" fill=\"#b3261e\"/>"
            }
            svg += text(bar.text, x: x + slot / 2, y: top + plot - barHeight - 5, size: 10)
            svg += text(bar.label, x: x + slot / 2, y: height - 10, size: 10)
        }
        return svg + "</svg>"
    }

    /// Horizontal bars (e.g. person-times by programme).
    func rows(width: Double = 640, rowHeight: Double = 30) -> String {
        let labelWidth = 130.0, right = 70.0
        let height = rowHeight * Double(max(bars.count, 1)) + 10
        let largest = bars.map(\.value).max() ?? 0
        var svg = header(width: width, height: height)
        for (index, bar) in bars.enumerated() {
            let y = 5 + Double(index) * rowHeight
            let barWidth = largest > 0 ? (width - labelWidth - right) * bar.value / largest : 0
            svg += text(bar.label, x: labelWidth - 8, y: y + rowHeight * 0.62, size: 11, anchor: "end")
            if barWidth > 0 {
                svg += "<rect x=\"\(f(labelWidth))\" y=\"\(f(y + rowHeight * 0.18))\" width=\"\(f(barWidth))\" height=\"\(f(rowHeight * 0.64))\" fill=\"#d9822b\"/>"
            }
            svg += text(bar.text, x: labelWidth + barWidth + 6, y: y + rowHeight * 0.62, size: 11, anchor: "start")
        }
        return svg + "</svg>"
    }

    private func header(width: Double, height: Double) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"100%\" role=\"img\" aria-label=\"\(HTMLText.escape(title))\">"
            + "<title>\(HTMLText.escape(title))</title>"
    }

    private func line(x1: Double, y1: Double, x2: Double, y2: Double) -> String {
        "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"#666\" stroke-width=\"1\"/>"
    }

    private func text(_ content: String, x: Double, y: Double, size: Double, anchor: String = "middle") -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(f(size))\" text-anchor=\"\(anchor)\" fill=\"#333\">\(HTMLText.escape(content))</text>"
    }

    /// A coordinate with at most one decimal, so the output is stable and small.
    private func f(_ value: Double) -> String {
        let tenths = (value * 10).rounded() / 10
        return tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
    }
}

import Foundation

/// A prediction written by the reader (`sweep show --theory "EXPR"`): numbers, the axis keys
/// (`lr`, `weight_decay`, or `weight-decay` spelled with a dash), + − * / ^, parentheses, and
/// sqrt, exp, log (natural), log10, abs. It is drawn as a dashed line and written into
/// `--script` as the same Python expression.
public indirect enum TheoryExpression: Sendable, Equatable {
    case number(Double)
    case variable(String)
    case negate(TheoryExpression)
    case binary(Character, TheoryExpression, TheoryExpression)
    case call(String, TheoryExpression)

    public static let functions = ["sqrt", "exp", "log", "log10", "abs"]

    /// Parses `text`; `variables` are the names it may use (columns, e.g. `weight_decay`).
    public static func parse(_ text: String, variables: [String]) throws(ExpressionError) -> TheoryExpression {
        var parser = Parser(characters: Array(text), variables: variables)
        let e = try parser.sum()
        parser.skipSpaces()
        guard parser.position == parser.characters.count else {
            throw ExpressionError(message: "unexpected '\(parser.characters[parser.position])' at character \(parser.position + 1)")
        }
        return e
    }

    public func evaluate(_ values: [String: Double]) -> Double? {
        switch self {
        case .number(let x): return x
        case .variable(let v): return values[v]
        case .negate(let e): return e.evaluate(values).map { -$0 }
        case .binary(let op, let a, let b):
            guard let x = a.evaluate(values), let y = b.evaluate(values) else { return nil }
            switch op {
            case "+": return x + y
            case "-": return x - y
            case "*": return x * y
            case "/": return x / y
            default: return pow(x, y)
            }
        case .call(let f, let e):
            guard let x = e.evaluate(values) else { return nil }
            switch f {
            case "sqrt": return x.squareRoot()
            case "exp": return Foundation.exp(x)
            case "log": return Foundation.log(x)
            case "log10": return Foundation.log10(x)
            default: return abs(x)
            }
        }
    }

    /// The same expression in Python over numpy (`np.sqrt(2*lr*weight_decay)`), each variable
    /// read through `row["name"]`.
    public func python(_ row: String = "row") -> String {
        switch self {
        case .number(let x): return "\(x)"
        case .variable(let v): return "\(row)[\"\(v)\"]"
        case .negate(let e): return "(-\(e.python(row)))"
        case .binary(let op, let a, let b): return "(\(a.python(row)) \(op == "^" ? "**" : String(op)) \(b.python(row)))"
        case .call(let f, let e): return "np.\(f)(\(e.python(row)))"
        }
    }

    /// The variables it reads.
    public var variables: Set<String> {
        switch self {
        case .number: []
        case .variable(let v): [v]
        case .negate(let e), .call(_, let e): e.variables
        case .binary(_, let a, let b): a.variables.union(b.variables)
        }
    }

    struct Parser {
        var characters: [Character]
        var variables: [String]
        var position = 0

        mutating func skipSpaces() { while position < characters.count, characters[position] == " " { position += 1 } }

        mutating func peek() -> Character? {
            skipSpaces()
            return position < characters.count ? characters[position] : nil
        }

        mutating func sum() throws(ExpressionError) -> TheoryExpression {
            var e = try product()
            while let c = peek(), c == "+" || c == "-" {
                position += 1
                e = .binary(c, e, try product())
            }
            return e
        }

        mutating func product() throws(ExpressionError) -> TheoryExpression {
            var e = try power()
            while let c = peek(), c == "*" || c == "/" {
                position += 1
                e = .binary(c, e, try power())
            }
            return e
        }

        mutating func power() throws(ExpressionError) -> TheoryExpression {
            let base = try unary()
            if peek() == "^" {
                position += 1
                return .binary("^", base, try power())
            }
            return base
        }

        mutating func unary() throws(ExpressionError) -> TheoryExpression {
            if peek() == "-" {
                position += 1
                return .negate(try unary())
            }
            return try atom()
        }

        mutating func atom() throws(ExpressionError) -> TheoryExpression {
            guard let c = peek() else { throw ExpressionError(message: "the expression ends too early") }
            if c == "(" {
                position += 1
                let e = try sum()
                guard peek() == ")" else { throw ExpressionError(message: "a '(' is not closed") }
                position += 1
                return e
            }
            if c.isNumber || c == "." {
                let start = position
                while position < characters.count, characters[position].isNumber || characters[position] == "."
                    || (characters[position] == "e" || characters[position] == "E")
                    || ((characters[position] == "-" || characters[position] == "+") && position > start
                        && "eE".contains(characters[position - 1])) { position += 1 }
                let text = String(characters[start..<position])
                guard let x = Double(text) else { throw ExpressionError(message: "'\(text)' is not a number") }
                return .number(x)
            }
            if c.isLetter || c == "_" {
                let start = position
                while position < characters.count,
                      characters[position].isLetter || characters[position].isNumber || "_-".contains(characters[position])
                {
                    // A dash belongs to a name only inside one (weight-decay), never before a space or digit run.
                    if characters[position] == "-", !(position + 1 < characters.count && characters[position + 1].isLetter
                                                      && variables.contains(where: { $0.hasPrefix(String(characters[start..<position]).replacingOccurrences(of: "-", with: "_") + "_") })) { break }
                    position += 1
                }
                let name = String(characters[start..<position]).replacingOccurrences(of: "-", with: "_")
                if TheoryExpression.functions.contains(name) {
                    guard peek() == "(" else { throw ExpressionError(message: "\(name) needs parentheses: \(name)(…)") }
                    return .call(name, try atom())
                }
                guard variables.contains(name) else {
                    throw ExpressionError(message: "unknown name '\(name)'; the expression can use \(variables.joined(separator: ", ")) and \(TheoryExpression.functions.joined(separator: ", "))")
                }
                return .variable(name)
            }
            throw ExpressionError(message: "unexpected '\(c)' at character \(position + 1)")
        }
    }
}

public struct ExpressionError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

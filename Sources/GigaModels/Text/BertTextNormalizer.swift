import Foundation

/// The text half of BERT's uncased tokenizer, as the Hugging Face `tokenizers` library runs it
/// (`BertNormalizer` with clean_text, handle_chinese_chars, strip_accents and lowercase, then
/// `BertPreTokenizer`): it turns a prompt into the words that WordPiece then splits.
///
/// Steps, in Hugging Face's order:
/// 1. clean: drop U+0000, U+FFFD and "other" characters of categories Cc, Cf, Co and Cs (not
///    unassigned code points, and never tab, newline or carriage return); every White_Space
///    character becomes a space;
/// 2. put spaces around CJK ideographs (Hugging Face's ranges, Extension E starting at U+2B920);
/// 3. canonical decomposition (NFD), then drop nonspacing marks (Mn): accents go;
/// 4. lower-case each scalar with its full Unicode mapping, without context (so no Greek final
///    sigma, as Hugging Face and unlike Python's `str.lower`);
/// 5. split on spaces, then split off every punctuation scalar (ASCII 33–47, 58–64, 91–96,
///    123–126, or a P* category) as a word of its own.
public enum BertTextNormalizer {
    /// The words of `text`, in order.
    public static func words(_ text: String) -> [String] {
        // 1–2: clean and space out CJK ideographs.
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value == 0 || scalar.value == 0xFFFD || isControl(scalar) { continue }
            if isWhitespace(scalar) {
                cleaned.append(" ")
            } else if isCJKIdeograph(scalar) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
            } else {
                cleaned.append(scalar)
            }
        }
        // 3–4: strip accents, lower-case.
        let decomposed = String(cleaned).decomposedStringWithCanonicalMapping
        var lowered = String.UnicodeScalarView()
        for scalar in decomposed.unicodeScalars where scalar.properties.generalCategory != .nonspacingMark {
            if scalar.properties.changesWhenLowercased {
                lowered.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                lowered.append(scalar)
            }
        }
        // 5: split on whitespace and punctuation.
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty { words.append(String(current)); current = String.UnicodeScalarView() }
        }
        for scalar in lowered {
            if isWhitespace(scalar) {
                flush()
            } else if isPunctuation(scalar) {
                flush()
                words.append(String(scalar))
            } else {
                current.append(scalar)
            }
        }
        flush()
        return words
    }

    /// Tab, newline, carriage return, or a White_Space scalar (Rust's `char::is_whitespace`).
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar.properties.isWhitespace
    }

    /// Categories Cc, Cf, Co, Cs, except tab, newline and carriage return.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .privateUse, .surrogate: return true
        default: return false
        }
    }

    /// ASCII punctuation and symbols (33–47, 58–64, 91–96, 123–126) or any P* category.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 33...47, 58...64, 91...96, 123...126: return true
        default: break
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// Hugging Face's CJK ideograph ranges (including its U+2B920 start of Extension E).
    static func isCJKIdeograph(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}

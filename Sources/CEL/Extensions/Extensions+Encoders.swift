// The encoders extension (cel-go ext/encoders.go): base64.encode(bytes) -> string and
// base64.decode(string) -> bytes (padding optional on decode).

import Foundation

extension Extensions {
    public static let encoders: [FunctionDecl] = [
        FunctionDecl(name: "base64.encode", overloads: [
            FunctionOverload(id: "base64_encode_bytes", parameters: [.bytes], result: .string, implementation: .unary { v in
                if case .error = v { return v }
                guard case .bytes(let b) = v else { return noSuchOverload("base64.encode") }
                return .string(Data(b).base64EncodedString())
            }),
        ]),
        FunctionDecl(name: "base64.decode", overloads: [
            FunctionOverload(id: "base64_decode_string", parameters: [.string], result: .bytes, implementation: .unary { v in
                if case .error = v { return v }
                guard case .string(var s) = v else { return noSuchOverload("base64.decode") }
                // Accept unpadded input, as cel-go does (it retries with RawStdEncoding).
                if s.utf8.count % 4 != 0 { s += String(repeating: "=", count: 4 - s.utf8.count % 4) }
                guard let d = Data(base64Encoded: s) else { return .error(EvalError("base64.decode: illegal base64 data")) }
                return .bytes([UInt8](d))
            }),
        ]),
    ]
}

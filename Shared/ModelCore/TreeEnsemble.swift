import Foundation

/// A gradient-boosted tree ensemble, evaluated in Swift from LightGBM's `dump_model()` JSON (numerical
/// `<=` splits; LightGBM's missing-value rules), so the served model needs no Python. Trees are flattened
/// into arrays at load time: a prediction walks integers and doubles only.
public struct TreeEnsemble: Sendable {
    struct Node: Sendable {
        var feature: Int32
        var threshold: Double
        /// Child indexes; a negative value `-(k+1)` is leaf k.
        var left: Int32
        var right: Int32
        var defaultLeft: Bool
        /// 0 none (NaN as 0.0), 1 zero (0 and NaN go the default way), 2 NaN (NaN goes the default way).
        var missing: UInt8
        var value: Double
    }

    var nodes: [Node] = []
    var leaves: [Double] = []
    var leafParentValue: [Double] = []
    /// Root node index of each tree, or a negative leaf index for a single-leaf tree.
    var roots: [Int32] = []
    public private(set) var featureNames: [String] = []
    /// LightGBM's objective: `binary` is mapped through the logistic function.
    public private(set) var objective: String = ""

    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(lightGBMJSON data: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let trees = root["tree_info"] as? [[String: Any]]
        else { throw LoadError(description: "not a LightGBM dump_model() JSON") }
        featureNames = root["feature_names"] as? [String] ?? []
        objective = (root["objective"] as? String) ?? ""
        for tree in trees {
            guard let structure = tree["tree_structure"] as? [String: Any] else {
                throw LoadError(description: "tree without tree_structure")
            }
            roots.append(try add(structure, parentValue: structure["internal_value"] as? Double ?? 0))
        }
    }

    private mutating func add(_ node: [String: Any], parentValue: Double) throws -> Int32 {
        if let leaf = node["leaf_value"] as? Double {
            leaves.append(leaf)
            leafParentValue.append(parentValue)
            return -Int32(leaves.count)
        }
        guard let feature = node["split_feature"] as? Int, let threshold = node["threshold"] as? Double,
            node["decision_type"] as? String == "<=", let left = node["left_child"] as? [String: Any],
            let right = node["right_child"] as? [String: Any]
        else { throw LoadError(description: "unsupported split (only numerical <= splits)") }
        let missing: UInt8 =
            switch node["missing_type"] as? String {
            case "Zero": 1
            case "NaN": 2
            default: 0
            }
        let index = nodes.count
        let value = node["internal_value"] as? Double ?? 0
        nodes.append(
            Node(
                feature: Int32(feature), threshold: threshold, left: 0, right: 0,
                defaultLeft: node["default_left"] as? Bool ?? true, missing: missing, value: value))
        let leftIndex = try add(left, parentValue: value)
        let rightIndex = try add(right, parentValue: value)
        nodes[index].left = leftIndex
        nodes[index].right = rightIndex
        return Int32(index)
    }

    @inline(__always)
    func goesLeft(_ node: Node, _ x: Double) -> Bool {
        var x = x
        if x.isNaN {
            if node.missing == 2 { return node.defaultLeft }
            x = 0
        }
        if node.missing == 1, abs(x) <= 1e-35 { return node.defaultLeft }
        return x <= node.threshold
    }

    /// The sum of the trees' leaves for one row (NaN = missing).
    public func rawScore(_ row: [Double]) -> Double {
        var total = 0.0
        for root in roots {
            var index = root
            while index >= 0 {
                let node = nodes[Int(index)]
                index = goesLeft(node, row[Int(node.feature)]) ? node.left : node.right
            }
            total += leaves[Int(-index - 1)]
        }
        return total
    }

    /// The probability for a binary model (logistic of the raw score).
    public func probability(_ row: [Double]) -> Double {
        1 / (1 + exp(-rawScore(row)))
    }

    /// Per-feature contributions to the raw score along each tree's path (Saabas): the change of the
    /// node's expected value at each split, credited to the split's feature.
    public func contributions(_ row: [Double]) -> [Double] {
        var result = [Double](repeating: 0, count: max(featureNames.count, (nodes.map { Int($0.feature) }.max() ?? -1) + 1))
        for root in roots {
            var index = root
            while index >= 0 {
                let node = nodes[Int(index)]
                let next = goesLeft(node, row[Int(node.feature)]) ? node.left : node.right
                let nextValue = next >= 0 ? nodes[Int(next)].value : leaves[Int(-next - 1)]
                result[Int(node.feature)] += nextValue - node.value
                index = next
            }
        }
        return result
    }
}

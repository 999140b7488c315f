#pragma once
// The parsed template: one generic node type for expressions and one for statements, mirroring
// Jinja2's node classes (jinja2/nodes.py) closely enough that the interpreter can follow its semantics.

#include "core/text/jinja/value.h"

#include <memory>
#include <string>
#include <vector>

namespace ft::jinja {

enum class ExprKind {
    Const,    // constant
    Name,     // name
    List,     // children: items
    Tuple,    // children: items
    Dict,     // children: key0, value0, key1, value1, ...
    GetAttr,  // children[0] . name
    GetItem,  // children[0] [ children[1] ]
    Slice,    // children[0] [ children[1] : children[2] : children[3] ], bounds may be null
    Call,     // children[0] ( args )
    Filter,   // children[0] | name ( args )
    Test,     // children[0] is name ( args )
    Not,      // children[0]
    Neg,      // children[0]
    Pos,      // children[0]
    Binary,   // children[0] binaryOp children[1]
    And,      // children[0] and children[1]
    Or,       // children[0] or children[1]
    Compare,  // children[0] compareOps[0] children[1] compareOps[1] children[2] ...
    CondExpr, // children[1] if children[0] else children[2] (may be null)
    Slot,     // the value a {% filter %} block or {% set x | f %} feeds into its filter chain
};

enum class BinaryOp { Add, Sub, Mul, Div, FloorDiv, Mod, Pow, Concat };
enum class CompareOp { Eq, Ne, Lt, Le, Gt, Ge, In, NotIn };

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Argument {
    std::string name; // empty: positional
    ExprPtr value;
};

struct Expr {
    ExprKind kind = ExprKind::Const;
    int line = 0;
    Value constant;
    std::string name;
    BinaryOp binaryOp = BinaryOp::Add;
    std::vector<CompareOp> compareOps;
    std::vector<ExprPtr> children;
    std::vector<Argument> args;
};

enum class StmtKind {
    Text,        // text
    Output,      // {{ expr }}
    If,          // branches
    For,         // for target in expr [if condition] body [else elseBody]
    Set,         // set target = expr
    SetBlock,    // set target [| expr filter chain] body endset
    Macro,       // macro
    CallBlock,   // call[(macro params)] expr body endcall; macro holds the caller
    FilterBlock, // filter expr body endfilter
    With,        // with assignments body endwith
    Break,
    Continue,
    Scope, // body rendered in place ({% generation %} of transformers)
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

struct MacroDef {
    std::string name;
    std::vector<std::string> params;
    std::vector<ExprPtr> defaults; // one per param, null where the param has no default
    Body body;
    bool usesVarargs = false; // the body reads `varargs`: extra positional arguments are accepted
    bool usesKwargs = false;  // the body reads `kwargs`: unknown keyword arguments are accepted
    bool usesCaller = false;
};

struct IfBranch {
    ExprPtr test; // null for else
    Body body;
};

struct Stmt {
    StmtKind kind = StmtKind::Text;
    int line = 0;
    std::string text;
    ExprPtr expr;
    ExprPtr target; // Name, Tuple of Names, or GetAttr on a name (namespace attribute)
    ExprPtr condition;
    std::vector<IfBranch> branches;
    Body body;
    Body elseBody;
    std::shared_ptr<MacroDef> macro;
    std::vector<std::pair<ExprPtr, ExprPtr>> assignments; // With: target, value
};

struct Template {
    std::string name;
    Body body;
};

} // namespace ft::jinja

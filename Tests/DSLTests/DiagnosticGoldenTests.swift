import Testing

@testable import DSL

/// One golden diagnostic case: a cell and the exact rendered diagnostics.
struct GoldenCase: CustomTestStringConvertible, Sendable {
  var name: String
  var source: String
  var expected: String
  init(_ name: String, _ source: String, _ expected: String) {
    self.name = name
    self.source = source
    self.expected = expected
  }
  var testDescription: String { name }
}

/// The runs every golden case may refer to, unless its name says there are none.
private let goldenRuns = ["baseline", "sgd"]

/// Every diagnostic kind of lexer, parser and checker, rendered exactly (line, column, caret, hint).
let goldenCases: [GoldenCase] = [
  GoldenCase(
    "unterminated string",
    "print \"abc",
    #"""
    cell:1:7: error: unterminated string
    print "abc
          ^~~~
      hint: close the string with '"' on the same line
    """#),
  GoldenCase(
    "incomplete escape",
    "print \"abc\\",
    #"""
    cell:1:7: error: unterminated string
    print "abc\
          ^~~~~
      hint: close the string with '"' on the same line
    cell:1:11: error: incomplete escape sequence
    print "abc\
              ^
      hint: write '\\' for a backslash
    """#),
  GoldenCase(
    "unknown escape",
    "print \"a\\qb\"",
    #"""
    cell:1:9: error: unknown escape sequence '\q' in string
    print "a\qb"
            ^~
      hint: the escapes are \" \\ \n \t and \u{XXXX}
    """#),
  GoldenCase(
    "malformed unicode escape",
    "print \"\\u{110000}\" \"\\u12\"",
    #"""
    cell:1:8: error: malformed unicode escape
    print "\u{110000}" "\u12"
           ^~~~~~~~~~
      hint: write \u{1F600} with 1 to 8 hex digits in braces, naming a valid code point
    cell:1:21: error: malformed unicode escape
    print "\u{110000}" "\u12"
                        ^~
      hint: write \u{1F600} with 1 to 8 hex digits in braces
    """#),
  GoldenCase(
    "statement is a string",
    "\"hello\"",
    #"""
    cell:1:1: error: expected a statement, found a string
    "hello"
    ^~~~~~~
      hint: to print text, write: print "hello"
    """#),
  GoldenCase(
    "statement is =",
    "= 3",
    #"""
    cell:1:1: error: expected a statement, found '='
    = 3
    ^
    """#),
  GoldenCase(
    "statement is ,",
    ", 3",
    #"""
    cell:1:1: error: expected a statement, found ','
    , 3
    ^
    """#),
  GoldenCase(
    "parameter as statement",
    "epochs=3",
    #"""
    cell:1:1: error: expected a statement, found the parameter 'epochs='
    epochs=3
    ^~~~~~
      hint: to change a training default, write: set epochs=VALUE
    """#),
  GoldenCase(
    "unknown word as statement with =",
    "x = 3",
    #"""
    cell:1:1: error: expected a statement, found the parameter 'x='
    x = 3
    ^
      hint: a statement starts with its keyword; write 'help' for the list
    """#),
  GoldenCase(
    "= without name",
    "train =3",
    #"""
    cell:1:7: error: expected a parameter name before '='
    train =3
          ^
      hint: write train NAME=VALUE
    """#),
  GoldenCase(
    "unexpected comma",
    "compare ,baseline",
    #"""
    cell:1:9: error: unexpected ','
    compare ,baseline
            ^
      hint: list elements need a value before each comma
    """#),
  GoldenCase(
    "missing name after as",
    "train as",
    #"""
    cell:1:7: error: expected a name after 'as'
    train as
          ^~
      hint: e.g. as baseline
    """#),
  GoldenCase(
    "as twice",
    "train as a as b",
    #"""
    cell:1:12: error: 'as' given twice
    train as a as b
               ^~~~
      hint: a statement takes one name
    """#),
  GoldenCase(
    "missing value",
    "train batch=",
    #"""
    cell:1:12: error: missing value after 'batch=' (found nothing)
    train batch=
               ^
      hint: write batch=VALUE with no space after '='
    """#),
  GoldenCase(
    "missing value before next param",
    "train batch= lr=1",
    #"""
    cell:1:12: error: missing value after 'batch=' (found the parameter 'lr=')
    train batch= lr=1
               ^
      hint: write batch=VALUE with no space after '='
    """#),
  GoldenCase(
    "trailing comma",
    "sweep batch=16,",
    #"""
    cell:1:15: error: missing list element after ','
    sweep batch=16,
                  ^
      hint: remove the trailing comma or add a value
    """#),
  GoldenCase(
    "unknown statement",
    "trian batch=16",
    #"""
    cell:1:1: error: unknown statement 'trian'
    trian batch=16
    ^~~~~
      hint: did you mean 'train'?
    """#),
  GoldenCase(
    "unknown statement no hint",
    "frobnicate",
    #"""
    cell:1:1: error: unknown statement 'frobnicate'
    frobnicate
    ^~~~~~~~~~
      hint: see 'help' for the list of statements
    """#),
  GoldenCase(
    "unknown parameter",
    "train bach=16",
    #"""
    cell:1:7: error: unknown parameter 'bach' for 'train'
    train bach=16
          ^~~~
      hint: did you mean 'batch'?
    """#),
  GoldenCase(
    "unknown parameter no hint",
    "train colour=red",
    #"""
    cell:1:7: error: unknown parameter 'colour' for 'train'
    train colour=red
          ^~~~~~
      hint: 'train' accepts: batch, lr, opt, momentum, weight_decay, epochs, seed, zero_grad, device, threads, executor
    """#),
  GoldenCase(
    "statement takes no parameters",
    "runs x=1",
    #"""
    cell:1:6: error: 'runs' takes no parameters, found 'x='
    runs x=1
         ^
    """#),
  GoldenCase(
    "duplicate parameter",
    "train batch=16 lr=0.1 batch=32",
    #"""
    cell:1:23: error: parameter 'batch' given twice
    train batch=16 lr=0.1 batch=32
                          ^~~~~~~~
      hint: first given at 1:7; remove one
    """#),
  GoldenCase(
    "name not allowed",
    "compare baseline as p",
    #"""
    cell:1:18: error: 'compare' does not take a name
    compare baseline as p
                     ^~~~
      hint: only train, sweep and plot accept 'as NAME'
    """#),
  GoldenCase(
    "takes no arguments",
    "runs baseline",
    #"""
    cell:1:6: error: 'runs' takes no arguments
    runs baseline
         ^~~~~~~~
    """#),
  GoldenCase(
    "too many arguments",
    "show baseline sgd",
    #"""
    cell:1:15: error: too many arguments for 'show': it takes at most one run name
    show baseline sgd
                  ^~~
      hint: syntax: show [RUN] [agg=mean|sum]
    """#),
  GoldenCase(
    "list not allowed",
    "train batch=16,32",
    #"""
    cell:1:13: error: 'batch' in 'train' takes one value, not a list
    train batch=16,32
                ^~~~~
      hint: to try several values, use: sweep batch=16,32
    """#),
  GoldenCase(
    "integer expected word",
    "train epochs=ten",
    #"""
    cell:1:14: error: 'epochs' expects an integer, found 'ten'
    train epochs=ten
                 ^~~
      hint: e.g. epochs=1
    """#),
  GoldenCase(
    "integer expected float",
    "train batch=32.5",
    #"""
    cell:1:13: error: 'batch' expects an integer, found '32.5'
    train batch=32.5
                ^~~~
    """#),
  GoldenCase(
    "integer out of range",
    "train batch=0",
    #"""
    cell:1:13: error: 'batch' must be in 1...1_000_000, found 0
    train batch=0
                ^
    """#),
  GoldenCase(
    "negative integer",
    "train epochs=-1",
    #"""
    cell:1:14: error: 'epochs' must be in 1...10_000, found -1
    train epochs=-1
                 ^~
    """#),
  GoldenCase(
    "huge integer",
    "train seed=99999999999999999999",
    #"""
    cell:1:12: error: 'seed' must be in 0...2^53, found 99999999999999999999
    train seed=99999999999999999999
               ^~~~~~~~~~~~~~~~~~~~
    """#),
  GoldenCase(
    "number expected",
    "train lr=fast",
    #"""
    cell:1:10: error: 'lr' expects a number, found 'fast'
    train lr=fast
             ^~~~
    """#),
  GoldenCase(
    "number out of range",
    "train lr=0",
    #"""
    cell:1:10: error: 'lr' must be > 0 and ≤ 1e30, found 0
    train lr=0
             ^
    """#),
  GoldenCase(
    "number not finite",
    "train lr=1e999",
    #"""
    cell:1:10: error: 'lr' must be > 0 and ≤ 1e30, found 1e999
    train lr=1e999
             ^~~~~
    """#),
  GoldenCase(
    "dot number hint",
    "train momentum=.5",
    #"""
    cell:1:16: error: 'momentum' expects a number, found '.5'
    train momentum=.5
                   ^~
      hint: write 0.5: a number needs a digit before '.'
    """#),
  GoldenCase(
    "momentum range",
    "train momentum=1",
    #"""
    cell:1:16: error: 'momentum' must be in [0, 1), found 1
    train momentum=1
                   ^
    """#),
  GoldenCase(
    "weight decay range",
    "train weight_decay=1.5",
    #"""
    cell:1:20: error: 'weight_decay' must be in [0, 1], found 1.5
    train weight_decay=1.5
                       ^~~
    """#),
  GoldenCase(
    "threads range",
    "set threads=512",
    #"""
    cell:1:13: error: 'threads' must be in 1...256, found 512
    set threads=512
                ^~~
    """#),
  GoldenCase(
    "enum choice",
    "train opt=adamw",
    #"""
    cell:1:11: error: invalid value 'adamw' for 'opt': expected one of: adam, sgd
    train opt=adamw
              ^~~~~
      hint: did you mean 'adam'?
    """#),
  GoldenCase(
    "device choice",
    "set device=cuda",
    #"""
    cell:1:12: error: invalid value 'cuda' for 'device': expected one of: auto, cpu, gpu
    set device=cuda
               ^~~~
    """#),
  GoldenCase(
    "bool choice",
    "train zero_grad=maybe",
    #"""
    cell:1:17: error: invalid value 'maybe' for 'zero_grad': expected one of: on, off, true, false
    train zero_grad=maybe
                    ^~~~~
    """#),
  GoldenCase(
    "invalid run name",
    "train as 1st",
    #"""
    cell:1:10: error: run name '1st' is not a valid name
    train as 1st
             ^~~
      hint: a run name is a letter or '_' followed by letters, digits, '_' or '-' (at most 64)
    """#),
  GoldenCase(
    "run name too long",
    "train as aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    #"""
    cell:1:10: error: run name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' \#
    is longer than 64 characters
    train as aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
             ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      hint: a run name is a letter or '_' followed by letters, digits, '_' or '-' (at most 64)
    """#),
  GoldenCase(
    "duplicate run",
    "train as again\ntrain as again",
    #"""
    cell:2:10: error: run 'again' is already trained earlier in this cell
    train as again
             ^~~~~
      hint: choose another name with 'as NAME'
    """#),
  GoldenCase(
    "unknown run",
    "show basline",
    #"""
    cell:1:6: error: unknown run 'basline'
    show basline
         ^~~~~~~
      hint: did you mean 'baseline'?
    """#),
  GoldenCase(
    "unknown run far",
    "eval zzz on=test",
    #"""
    cell:1:6: error: unknown run 'zzz'
    eval zzz on=test
         ^~~
      hint: runs: baseline, sgd
    """#),
  GoldenCase(
    "load missing",
    "load",
    #"""
    cell:1:1: error: 'load' needs a data set name
    load
    ^~~~
      hint: write: load fashion
    """#),
  GoldenCase(
    "unknown data set",
    "load mnist",
    #"""
    cell:1:6: error: unknown data set 'mnist'
    load mnist
         ^~~~~
      hint: the data set is: fashion
    """#),
  GoldenCase(
    "load limit",
    "load fashion train=0 test=10001",
    #"""
    cell:1:20: error: 'train' must be in 1...60_000, found 0
    load fashion train=0 test=10001
                       ^
    cell:1:27: error: 'test' must be in 1...10_000, found 10001
    load fashion train=0 test=10001
                              ^~~~~
    """#),
  GoldenCase(
    "model missing",
    "model",
    #"""
    cell:1:1: error: 'model' needs a layer spec
    model
    ^~~~~
      hint: e.g. model 784-128-relu-10
    """#),
  GoldenCase(
    "model quoted",
    "model \"784-10\"",
    #"""
    cell:1:7: error: a model spec is written without quotes
    model "784-10"
          ^~~~~~~~
      hint: e.g. model 784-128-relu-10
    """#),
  GoldenCase(
    "model empty part",
    "model 784--10",
    #"""
    cell:1:10: error: empty part in model spec '784--10'
    model 784--10
             ^
      hint: write widths and activations separated by single '-', e.g. 784-128-relu-10
    """#),
  GoldenCase(
    "model width range",
    "model 784-0-70000-10",
    #"""
    cell:1:11: error: layer width 0 is out of range 1...65536
    model 784-0-70000-10
              ^
    cell:1:13: error: layer width 70000 is out of range 1...65536
    model 784-0-70000-10
                ^~~~~
    """#),
  GoldenCase(
    "model unknown activation",
    "model 784-128-rleu-10",
    #"""
    cell:1:15: error: unknown activation 'rleu' in model spec
    model 784-128-rleu-10
                  ^~~~
      hint: did you mean 'relu'?
    """#),
  GoldenCase(
    "model starts with activation",
    "model relu-784-10",
    #"""
    cell:1:7: error: a model spec must start with a width, found 'relu'
    model relu-784-10
          ^~~~
      hint: e.g. 784-128-relu-10
    """#),
  GoldenCase(
    "model two activations",
    "model 784-relu-tanh-10",
    #"""
    cell:1:16: error: two activations in a row: 'relu-tanh'
    model 784-relu-tanh-10
                   ^~~~
      hint: put a width between activations
    """#),
  GoldenCase(
    "model ends with activation",
    "model 784-128-relu",
    #"""
    cell:1:15: error: a model spec must end with a width, found 'relu'
    model 784-128-relu
                  ^~~~
      hint: add the output width, e.g. 784-128-relu-10
    """#),
  GoldenCase(
    "model one width",
    "model 784",
    #"""
    cell:1:7: error: a model needs at least 2 widths (inputs and outputs), found 1
    model 784
          ^~~
      hint: e.g. 784-10
    """#),
  GoldenCase(
    "model too deep",
    "model 8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8",
    #"""
    cell:1:7: error: a model has at most 32 Linear layers, found 33
    model 8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8-8
          ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
    """#),
  GoldenCase(
    "set positional",
    "set epochs",
    #"""
    cell:1:5: error: 'set' takes PARAM=VALUE pairs, found 'epochs'
    set epochs
        ^~~~~~
      hint: did you mean 'epochs=...'?
    """#),
  GoldenCase(
    "set empty",
    "set",
    #"""
    cell:1:1: error: 'set' needs at least one PARAM=VALUE
    set
    ^~~
      hint: e.g. set epochs=10 seed=0
    """#),
  GoldenCase(
    "train positional",
    "train fast",
    #"""
    cell:1:7: error: 'train' takes PARAM=VALUE pairs, found 'fast'
    train fast
          ^~~~
      hint: to name the run, write: as fast
    """#),
  GoldenCase(
    "sweep positional",
    "sweep fast batch=1,2",
    #"""
    cell:1:7: error: 'sweep' takes PARAM=V1,V2 pairs, found 'fast'
    sweep fast batch=1,2
          ^~~~
    """#),
  GoldenCase(
    "sweep duplicate value",
    "sweep batch=16,32,16",
    #"""
    cell:1:19: error: duplicate value 16 in the list for 'batch'
    sweep batch=16,32,16
                      ^~
      hint: remove it
    """#),
  GoldenCase(
    "sweep invalid prefix",
    "sweep batch=16,32 as 9x",
    #"""
    cell:1:22: error: sweep prefix '9x' is not a valid name
    sweep batch=16,32 as 9x
                         ^~
      hint: a name is a letter or '_' followed by letters, digits, '_' or '-'
    """#),
  GoldenCase(
    "sweep without list",
    "sweep batch=16",
    #"""
    cell:1:1: error: 'sweep' needs at least one list of values, such as batch=16,64
    sweep batch=16
    ^~~~~
      hint: for a single run use train
    """#),
  GoldenCase(
    "sweep too many runs",
    "sweep batch=1,2,3,4,5,6,7,8,9,10 lr=0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1 seed=1,2,3,4,5,6,7,8,9,10,11",
    #"""
    cell:1:1: error: this sweep would start 1100 runs; the limit is 1000
    sweep batch=1,2,3,4,5,6,7,8,9,10 lr=0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1 seed=1,2,3,4,5,6,7,8,9,10,11
    ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
    """#),
  GoldenCase(
    "sweep run exists",
    "sweep batch=16,64 as bs\nsweep batch=16,32 as bs",
    #"""
    cell:2:22: error: sweep run 'bs_batch16' is already trained earlier in this cell
    sweep batch=16,32 as bs
                         ^~
      hint: choose a prefix with 'as PREFIX'
    """#),
  GoldenCase(
    "eval without runs",
    "eval",
    #"""
    cell:1:1: error: there is no run to eval yet
    eval
    ^~~~
      hint: train a run first
    """#),
  GoldenCase(
    "plot without metric",
    "plot",
    #"""
    cell:1:1: error: 'plot' needs a metric
    plot
    ^~~~
      hint: e.g. plot test_acc; see 'help metrics'
    """#),
  GoldenCase(
    "plot unknown metric",
    "plot tst_acc",
    #"""
    cell:1:6: error: invalid value 'tst_acc' for 'plot': expected one of: \#
    train_loss, test_loss, train_acc, test_acc, loss, accuracy, grad_sq, weight_norm, grad_norm, epoch_time, times
    plot tst_acc
         ^~~~~~~
      hint: did you mean 'test_acc'?
    """#),
  GoldenCase(
    "plot layer not applicable",
    "plot test_acc layer=1",
    #"""
    cell:1:21: error: 'layer=' applies only to grad_sq, weight_norm and grad_norm, not test_acc
    plot test_acc layer=1
                        ^
    """#),
  GoldenCase(
    "plot layer range",
    "plot grad_sq layer=0",
    #"""
    cell:1:20: error: 'layer' must be in 1...32, found 0
    plot grad_sq layer=0
                       ^
    """#),
  GoldenCase(
    "plot per=step not allowed",
    "plot test_acc per=step",
    #"""
    cell:1:19: error: per=step is only available for grad_sq and train_loss, not test_acc
    plot test_acc per=step
                      ^~~~
    """#),
  GoldenCase(
    "plot log",
    "plot loss log=yes",
    #"""
    cell:1:15: error: invalid value 'yes' for 'log': expected one of: on, off, true, false
    plot loss log=yes
                  ^~~
    """#),
  GoldenCase(
    "help unknown topic",
    "help trian",
    #"""
    cell:1:6: error: no help topic 'trian'
    help trian
         ^~~~~
      hint: did you mean 'train'?
    """#),
  GoldenCase(
    "report format unknown extension",
    "report file=\"out.txt\"",
    #"""
    cell:1:13: error: cannot infer the format of 'out.txt' from its extension
    report file="out.txt"
                ^~~~~~~~~
      hint: add format=html|md|pdf or use the extension .htm, .html, .markdown, .md, .pdf
    """#),
  GoldenCase(
    "report format choice",
    "report format=pfd",
    #"""
    cell:1:15: error: invalid value 'pfd' for 'format': expected one of: html, md, pdf
    report format=pfd
                  ^~~
      hint: did you mean 'pdf'?
    """#),
  GoldenCase(
    "report paper choice",
    "report file=\"r.pdf\" paper=a5",
    #"""
    cell:1:27: error: invalid value 'a5' for 'paper': expected one of: a4, letter
    report file="r.pdf" paper=a5
                              ^~
      hint: did you mean 'a4'?
    """#),

  GoldenCase(
    "export empty file",
    "export file=\"\"",
    #"""
    cell:1:13: error: 'file' must not be empty
    export file=""
                ^~
    """#),
  GoldenCase(
    "print list",
    "print 1,2",
    #"""
    cell:1:7: error: each 'print' item takes one value, not a list
    print 1,2
          ^~~
      hint: separate items with spaces; quote text with commas
    """#),
  GoldenCase(
    "print unknown field",
    "print baseline.tst_acc",
    #"""
    cell:1:16: error: unknown run field 'tst_acc'
    print baseline.tst_acc
                   ^~~~~~~
      hint: did you mean 'test_acc'?
    """#),
  GoldenCase(
    "print unknown run in reference",
    "print basline.test_acc",
    #"""
    cell:1:7: error: unknown run 'basline'
    print basline.test_acc
          ^~~~~~~
      hint: did you mean 'baseline'?
    """#),
  GoldenCase(
    "print unknown reference",
    "print hello",
    #"""
    cell:1:7: error: unknown reference 'hello'
    print hello
          ^~~~~
      hint: to print text, quote it: "hello"
    """#),
  GoldenCase(
    "print run without field",
    "print baseline",
    #"""
    cell:1:7: error: unknown reference 'baseline'
    print baseline
          ^~~~~~~~
      hint: a run's value needs a field, e.g. baseline.test_acc
    """#),
  GoldenCase(
    "print stream",
    "print 1 to=stdlog",
    #"""
    cell:1:12: error: invalid value 'stdlog' for 'to': expected one of: stdout, stderr
    print 1 to=stdlog
               ^~~~~~
    """#),
  GoldenCase(
    "get string",
    "get \"epochs\"",
    #"""
    cell:1:5: error: expected a reference (RUN.FIELD or a setting), found '"epochs"'
    get "epochs"
        ^~~~~~~~
    """#),
  GoldenCase(
    "get missing",
    "get",
    #"""
    cell:1:1: error: 'get' needs a reference
    get
    ^~~
      hint: e.g. get baseline.test_acc or get epochs
    """#),
  GoldenCase(
    "multiple errors in one cell",
    "load fashion\ntrain bach=16 opt=adamw\ntrian\nplot test_acc per=step; show nobody",
    #"""
    cell:2:7: error: unknown parameter 'bach' for 'train'
    train bach=16 opt=adamw
          ^~~~
      hint: did you mean 'batch'?
    cell:2:19: error: invalid value 'adamw' for 'opt': expected one of: adam, sgd
    train bach=16 opt=adamw
                      ^~~~~
      hint: did you mean 'adam'?
    cell:3:1: error: unknown statement 'trian'
    trian
    ^~~~~
      hint: did you mean 'train'?
    cell:4:19: error: per=step is only available for grad_sq and train_loss, not test_acc
    plot test_acc per=step; show nobody
                      ^~~~
    cell:4:30: error: unknown run 'nobody'
    plot test_acc per=step; show nobody
                                 ^~~~~~
      hint: runs: baseline, sgd, run1
    """#),
  GoldenCase(
    "semicolons and comments",
    "train lr=0.1 # comment; not a separator\nshow x; eval y",
    #"""
    cell:2:6: error: unknown run 'x'
    show x; eval y
         ^
      hint: runs: baseline, sgd, run1
    cell:2:14: error: unknown run 'y'
    show x; eval y
                 ^
      hint: runs: baseline, sgd, run1
    """#),
  GoldenCase(
    "cell separator is a comment",
    "# %% P1 runs\ntrain batch=abc",
    #"""
    cell:2:13: error: 'batch' expects an integer, found 'abc'
    train batch=abc
                ^~~
      hint: e.g. batch=1
    """#),
  GoldenCase(
    "unicode in strings",
    "print \"héllo wörld\" bad.field",
    #"""
    cell:1:21: error: unknown run 'bad'
    print "héllo wörld" bad.field
                        ^~~
    cell:1:25: error: unknown run field 'field'
    print "héllo wörld" bad.field
                            ^~~~~
      hint: see 'help fields'
    """#),
  GoldenCase(
    "wide characters",
    "print \"日本語🎉\" epoks",
    #"""
    cell:1:14: error: unknown reference 'epoks'
    print "日本語🎉" epoks
                     ^~~~~
      hint: did you mean 'epochs'?
    """#),
  GoldenCase(
    "unicode in comments",
    "# ünïcödé 日本\ntrain opt=sdg # ok",
    #"""
    cell:2:11: error: invalid value 'sdg' for 'opt': expected one of: adam, sgd
    train opt=sdg # ok
              ^~~
      hint: did you mean 'sgd'?
    """#),
  GoldenCase(
    "combining characters",
    "print \"éé\" lrr",
    #"""
    cell:1:12: error: unknown reference 'lrr'
    print "éé" lrr
               ^~~
      hint: did you mean 'lr'?
    """#),
  GoldenCase(
    "line continuation",
    "train batch=16 \\\n  lr=zero",
    #"""
    cell:2:6: error: 'lr' expects a number, found 'zero'
      lr=zero
         ^~~~
    """#),
  GoldenCase(
    "crlf line endings",
    "train as a\r\nshow b\r\n",
    #"""
    cell:2:6: error: unknown run 'b'
    show b
         ^
      hint: runs: baseline, sgd, a
    """#),
  GoldenCase(
    "number formats",
    "train batch=1_000 lr=1_000e30 seed=1__0 epochs=1e3",
    #"""
    cell:1:22: error: 'lr' must be > 0 and ≤ 1e30, found 1_000e30
    train batch=1_000 lr=1_000e30 seed=1__0 epochs=1e3
                         ^~~~~~~~
    cell:1:36: error: 'seed' expects an integer, found '1__0'
    train batch=1_000 lr=1_000e30 seed=1__0 epochs=1e3
                                       ^~~~
      hint: e.g. seed=0
    cell:1:48: error: 'epochs' expects an integer, found '1e3'
    train batch=1_000 lr=1_000e30 seed=1__0 epochs=1e3
                                                   ^~~
    """#),
  GoldenCase(
    "spaces after commas",
    "sweep batch=16, 32 lr=1,x",
    #"""
    cell:1:25: error: 'lr' expects a number, found 'x'
    sweep batch=16, 32 lr=1,x
                            ^
    """#),
]

@Test(arguments: goldenCases)
func renderedDiagnostics(_ c: GoldenCase) {
  let runs = c.name.contains("without runs") ? [] : goldenRuns
  let result = Frontend.check(c.source, context: CheckContext(knownRuns: runs))
  #expect(result.hasErrors)
  #expect(result.commands.isEmpty || result.diagnostics.count > 0)
  #expect(DiagnosticRenderer.render(result.diagnostics, file: "cell", source: c.source) == c.expected)
}

@Test func warningsDoNotStopACell() {
  let source = "train opt=adam momentum=0.9 as m"
  let result = Frontend.check(source, context: CheckContext())
  #expect(!result.hasErrors)
  #expect(result.commands.count == 1)
  #expect(
    DiagnosticRenderer.render(result.diagnostics, file: "cell", source: source) == """
      cell:1:25: warning: momentum has no effect with opt=adam
      train opt=adam momentum=0.9 as m
                              ^~~
        hint: momentum applies to opt=sgd
      """)
}

@Test func paperOnAMarkdownReportIsAWarning() {
  let source = "report file=\"r.md\" paper=letter"
  let result = Frontend.check(source, context: CheckContext(knownRuns: goldenRuns))
  #expect(!result.hasErrors && result.commands.count == 1)
  #expect(
    DiagnosticRenderer.render(result.diagnostics, file: "cell", source: source) == #"""
      cell:1:26: warning: 'paper' has no effect on a Markdown report
      report file="r.md" paper=letter
                               ^~~~~~
        hint: it sets the page size of a PDF, and of an HTML report when printed
      """#)
}

@Test func diagnosticsOfALaterCellPointIntoTheFile() {
  let file = "load fashion\n# %% second\ntrain bach=16\n"
  let cells = ScriptSplitter.cells(file)
  #expect(cells.count == 2)
  let result = Frontend.check(cells[1].text, context: CheckContext(), firstLine: cells[1].firstLine)
  #expect(
    DiagnosticRenderer.render(result.diagnostics, file: "exp.nb", source: file) == """
      exp.nb:3:7: error: unknown parameter 'bach' for 'train'
      train bach=16
            ^~~~
        hint: did you mean 'batch'?
      """)
  #expect(result.diagnostics[0].range.start.offset == 6)
}

@Test func warningsNotesAndTabsRender() {
  let source = "\ttrain x=1"
  let range = SourceRange(
    start: SourceLocation(line: 1, column: 8, offset: 7), end: SourceLocation(line: 1, column: 9, offset: 8))
  let warning = Diagnostic(severity: .warning, message: "just so", range: range)
  #expect(
    DiagnosticRenderer.render(warning, file: "f", source: source) == "f:1:8: warning: just so\n\ttrain x=1\n\t      ^")
  let note = Diagnostic(severity: .note, message: "see here", range: range, hint: "h")
  #expect(DiagnosticRenderer.render(note, file: "f", source: "") == "f:1:8: note: see here\n\n       ^\n  hint: h")
}

@Test func rangesSpanningLinesUnderlineToTheEndOfTheFirstLine() {
  let range = SourceRange(
    start: SourceLocation(line: 1, column: 3, offset: 2), end: SourceLocation(line: 2, column: 2, offset: 6))
  let d = Diagnostic(message: "m", range: range)
  #expect(DiagnosticRenderer.render(d, file: "f", source: "abcd\nef") == "f:1:3: error: m\nabcd\n  ^~")
}

@Test func missingSourceLineShowsOnlyTheHeader() {
  let range = SourceRange(
    start: SourceLocation(line: 9, column: 1, offset: 0), end: SourceLocation(line: 9, column: 1, offset: 0))
  #expect(
    DiagnosticRenderer.render(Diagnostic(message: "m", range: range, hint: "x"), file: "f", source: "a")
      == "f:9:1: error: m\n  hint: x")
}

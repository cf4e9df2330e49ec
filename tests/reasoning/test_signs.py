"""Which sign a question about text means (direct answers)."""
from omnilive.memory.types import TEXT, Label, MemoryItem
from omnilive.reasoning import direct

NOW = 5_000.0


def sign(id_, start, *words, score):
    return MemoryItem(id=id_, kind='clip', start=start, end=start + 10,
                      text='text reading ' + ', '.join(words), score=score,
                      labels=[Label(TEXT, w) for w in words])


def test_the_sign_that_reads_the_word_the_question_names_it_by():
    # "notice" is too generic a word to name a thing ("did you notice..."), but the sign that
    # reads NOTICE is the notice, however the retrieval ranked the other sign
    signs = [sign('notice', NOW - 60, 'NOTICE', 'DOUBLE', 'PARKING', score=0.35),
             sign('later', NOW - 20, 'NOPARKING', score=0.6)]
    answer = direct.answer('What was written on the notice?', signs, None, NOW)
    assert answer and 'DOUBLE PARKING' in answer, answer
    # without a word the sign reads, the most relevant one still answers
    assert 'NOPARKING' in direct.answer('What did the sign say?', signs, None, NOW)
    # words OCR ran together are read as the question's two: the no parking sign is NOPARKING
    signs[1] = sign('later', NOW - 20, 'NOPARKING', score=0.2)
    for question in ('What did the no parking sign say?', 'Did you see a no parking sign?'):
        answer = direct.answer(question, signs, None, NOW)
        assert '"NOPARKING"' in answer and 'DOUBLE' not in answer, (question, answer)
    # where a sign was: text read is not placed in the view, and that is said
    assert direct.answer('Where was the no parking sign?', signs, None, NOW) == \
        'I read "NOPARKING" on a sign just now; I did not notice where it was in my view.'


def test_text_on_a_thing_never_seen_is_not_guessed():
    signs = [sign('cafe', NOW - 60, 'CAFE', 'LUNA', score=0.5),
             sign('exit', NOW - 20, 'EXIT', score=0.4)]
    truck = MemoryItem(id='truck', kind='clip', start=NOW - 90, end=NOW - 80, text='a truck',
                       labels=[Label('object', 'truck', 1), Label(TEXT, 'ACME MOVERS')])
    # no generator seen: the most relevant sign would be a guess
    assert direct.answer('What was written on the generator?', signs, None, NOW) == \
        'I did not notice a generator, so I cannot tell what was written on it.'
    # a truck seen with text: that text
    assert 'ACME MOVERS' in direct.answer('What was written on the truck?', signs + [truck],
                                          None, NOW)
    # the question goes on after the thing: not read as "a bottle say"
    assert 'CAFE LUNA' in direct.answer('What did the label on the bottle say?', signs, None,
                                        NOW)
    # signs, walls and doors carry text whatever perception named
    assert 'CAFE LUNA' in direct.answer('What was written on the sign?', signs, None, NOW)
    assert direct.answer('What was written on the wall?', signs, None, NOW).startswith(
        'The sign read')


def test_a_signs_colour_is_not_known_from_what_it_read():
    signs = [sign('notice', NOW - 60, 'NOTICE', 'NO', 'PARKING', score=0.5)]
    assert direct.answer('Did you see a red sign?', signs, None, NOW) == \
        'I saw a sign, but I did not notice its colour: it read "NOTICE NO PARKING", about ' \
        '50 seconds ago.'
    assert direct.answer('What colour was the sign?', signs, None, NOW) == \
        'I did not notice the colour of the sign; it read "NOTICE NO PARKING", about 50 ' \
        'seconds ago.'
    # a colour among the words it should say is what it says, not its colour
    assert direct.answer('Did you see a sign saying no parking?', signs, None, NOW).startswith(
        'Yes, the sign read')
    red = [sign('red', NOW - 60, 'RED', 'LINE', score=0.5)]
    assert direct.answer('Did you see a sign saying red line?', red, None, NOW).startswith(
        'Yes, the sign read "RED LINE"')


def test_signs_asked_in_the_plural_are_each_read_in_order():
    """"Which signs did you read?", "what did you read?" is every sign (the latest
    SIGNS_LISTED), each once, in the order they were last read; a sign asked by its words, or
    one sign ("the last sign"), is still that one."""
    signs = [sign('exit', NOW - 210, 'EXIT', score=0.4),
             sign('cafe', NOW - 400, 'CAFE', 'LUNA', score=0.5),
             sign('again', NOW - 100, 'CAFE', 'LUNA', score=0.3)]
    expected = 'I read 2 signs: "EXIT" (about 3 minutes ago) and "CAFE LUNA" (about 2 minutes ' \
        'ago).'
    for question in ('Which signs did you read?', 'What did the signs say?',
                     'What was written on the signs?', 'What did you read?',
                     'What words did you read?', 'What was written?'):
        assert direct.answer(question, signs, None, NOW) == expected, question
    assert 'CAFE' not in direct.answer('What did the exit signs say?', signs, None, NOW)
    # one sign asked about: that one
    assert direct.answer('What did the last sign say?', signs, None, NOW) == \
        'The sign read "CAFE LUNA", about 2 minutes ago.'
    assert direct.answer('What did that notice say?', signs, None, NOW).startswith('The sign read')


def test_a_notice_is_a_sign_and_a_mention_is_speech():
    signs = [sign('notice', NOW - 60, 'NOTICE', 'DOUBLE', 'PARKING', score=0.35),
             sign('cafe', NOW - 20, 'CAFE', score=0.6)]
    assert 'DOUBLE PARKING' in direct.answer('What did the notice say about parking?', signs,
                                             None, NOW)
    # what someone said, not what a sign read
    assert direct.answer('Did someone mention a sign?', signs, None, NOW) is None


def test_how_many_signs_counts_the_different_texts_read():
    """"How many signs did you read?" counts each text once (read again, spaced or cased
    otherwise, it is the same sign), not a traffic light or a street sign seen."""
    signs = [sign('exit', NOW - 210, 'EXIT', score=0.4),
             sign('cafe', NOW - 400, 'CAFE', 'LUNA', score=0.5),
             sign('again', NOW - 100, 'Cafe Luna', score=0.3),
             MemoryItem(id='light', kind='clip', start=NOW - 50, end=NOW - 40,
                        text='a traffic light', labels=[Label('object', 'traffic light', 1)])]
    expected = 'I read 2 different signs: "EXIT" (about 3 minutes ago) and "Cafe Luna" ' \
        '(about 2 minutes ago).'
    for question in ('How many signs did you read?', 'How many different signs did you see?'):
        assert direct.answer(question, signs, None, NOW) == expected, question
    assert direct.answer('How many signs did you read?', signs[-1:], None, NOW) == \
        'I did not read any signs.'


def test_a_sign_saying_what_no_sign_read_is_a_no_with_what_they_read():
    signs = [sign('notice', NOW - 60, 'NOTICE', 'DOUBLE', 'PARKING', score=0.35),
             sign('later', NOW - 20, 'NOPARKING', score=0.6)]
    for question in ('Did you see a sign that said exit?', 'Was there a sign saying exit?',
                     'Did any sign say exit?'):
        assert direct.answer(question, signs, None, NOW) == \
            'No, I did not read a sign saying that. The signs I read said "NOTICE DOUBLE ' \
            'PARKING" (about 50 seconds ago) and "NOPARKING" (just now).', question
    assert direct.answer('Did you see a sign that said parking?', signs, None, NOW).startswith(
        'Yes, the sign read')


def test_a_place_or_a_code_only_a_sign_named_is_the_sign_and_no_more():
    """"Where is the sports centre?", "what does GM125 mean?" when only a sign named them: what
    the sign read and when, and that memory holds no more (a model guessed "General Motors")."""
    signs = [sign('way', NOW - 500, 'SPORTS', 'CENTRE', 'CAR', 'PARKS', score=0.5),
             sign('plate', NOW - 100, 'GM125', score=0.5)]
    assert direct.answer('Where is the sports centre?', signs, None, NOW).startswith(
        'I read "SPORTS CENTRE CAR PARKS" on a sign about 8 minutes ago, at ')
    assert direct.answer('What does GM125 mean?', signs, None, NOW) == \
        'I read "GM125" on a sign about 2 minutes ago; I do not know what it means.'
    assert direct.answer('What does GM125 stand for?', signs, None, NOW).endswith(
        'I do not know what it means.')


def test_the_numbers_read_are_the_signs_that_read_one():
    """"What numbers did you see?", "what number was on the sign?": the signs whose text holds a
    number, in the order read; none read: not this answer."""
    signs = [sign('exit', NOW - 210, 'EXIT', score=0.4),
             sign('gate', NOW - 100, 'GATE', '17', score=0.5),
             sign('room', NOW - 50, 'ROOM', '204', score=0.2)]
    for question in ('What numbers did you see?', 'What number was on the sign?'):
        assert direct.answer(question, signs, None, NOW) == 'I read numbers on 2 signs: "GATE ' \
            '17" (about 2 minutes ago) and "ROOM 204" (about 40 seconds ago).', question
    unnumbered = direct.answer('What numbers did you read?', signs[:1], None, NOW) or ''
    assert 'number' not in unnumbered, unnumbered
